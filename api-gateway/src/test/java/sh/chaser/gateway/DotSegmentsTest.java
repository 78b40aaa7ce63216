package sh.chaser.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sh.chaser.gateway.domain.DotSegments;

class DotSegmentsTest {

    @ParameterizedTest
    @ValueSource(strings = { "/s/a/forward/1/../../../b/download", "/s/a/forward/1/%2e%2e/%2E%2E/b/download",
            "/s/a/forward/1/.%2e/b", "/s/a/./files", "/s/a/forward/1/..%2f..%2fb/download", "/s/a/forward/1/..%5c..",
            "/s/a/forward/1/%252e%252e/b", "/v1/../s/b/download", "/s/a/forward/1/..", "/s/a/forward/1/..\\b" })
    void dotSegmentsRawOrEncodedAreFound(String path) {
        assertTrue(DotSegments.in(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/s/a/forward/1/index.html", "/s/a/forward/1/..hidden/x", "/s/a/files/a..b",
            "/v1/sessions", "/", "/s/a/forward/1/%41%42", "/s/a/forward/1/.well-known/x", "/s/a/forward/1/%zz" })
    void ordinaryPathsAreNot(String path) {
        assertFalse(DotSegments.in(path), path);
    }
}
