package sh.chaser.account.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void signsTheTimestampDotBodyWithHmacSha256() {
        // openssl: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assertEquals("t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789",
                WebhookSignature.header("whsec_test", 1700000000L, "{\"a\":1}"));
    }
}
