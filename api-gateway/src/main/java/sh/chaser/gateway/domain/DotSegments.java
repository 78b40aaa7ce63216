package sh.chaser.gateway.domain;

import java.util.Locale;

/**
 * Whether a request path has a {@code .} or {@code ..} segment, written raw or percent-encoded (also
 * twice over, and with encoded or back slashes between segments). Such a path is refused before
 * anything reads it: the gateway authorises a session by the path's first segments, and whoever
 * resolves the dot segments later (the vm-agent, a server behind forwarding) would reach another.
 */
public final class DotSegments {

    private static final int DECODINGS = 3;

    private DotSegments() {}

    public static boolean in(String rawPath) {
        String path = rawPath;
        for (int round = 0; round <= DECODINGS; round++) {
            for (String segment : path.replace('\\', '/').split("/", -1)) {
                if (segment.equals(".") || segment.equals("..")) {
                    return true;
                }
            }
            String decoded = decodeOnce(path);
            if (decoded.equals(path)) {
                return false;
            }
            path = decoded;
        }
        return true;
    }

    /** Percent-decoding of single bytes as characters: enough to see dots and slashes, whatever the rest. */
    private static String decodeOnce(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
                out.append((char) Integer.parseInt(path.substring(i + 1, i + 3).toLowerCase(Locale.ROOT), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
