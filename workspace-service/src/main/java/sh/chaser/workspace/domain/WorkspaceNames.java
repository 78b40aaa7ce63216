package sh.chaser.workspace.domain;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import sh.chaser.common.api.ServiceException;

/** Workspace and snapshot names: 1 to 64 letters, digits, '-', '_', '.'; compared case-insensitively. */
public final class WorkspaceNames {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final List<String> ADJECTIVES = List.of("amber", "brisk", "calm", "deft", "eager", "fuzzy",
            "gentle", "hazy", "ivory", "jolly", "keen", "lucid", "mellow", "nimble", "oaken", "proud", "quiet",
            "rapid", "sunny", "tidy", "urban", "vivid", "witty", "young", "zesty");
    private static final List<String> NOUNS = List.of("otter", "falcon", "maple", "comet", "harbor", "meadow",
            "pebble", "lantern", "canyon", "willow", "ember", "glacier", "orchid", "badger", "summit", "river",
            "cedar", "quartz", "heron", "tundra", "violet", "walrus", "yarrow", "zephyr", "aspen");
    private static final SecureRandom RANDOM = new SecureRandom();

    private WorkspaceNames() {}

    /** The name {@code GET|PUT|DELETE /v1/workspaces/default} takes: no workspace may be called that. */
    public static final String RESERVED = "default";

    public static boolean valid(String name) {
        return name != null && SHAPE.matcher(name).matches();
    }

    /** @param field the request field the name came in, for the error */
    public static String require(String name, String field) {
        if (!valid(name)) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST,
                    field + " must be 1 to 64 characters of letters, digits, '-', '_' and '.'", field);
        }
        return name;
    }

    /** A workspace's name: as {@link #require}, and never the reserved {@code default}. */
    public static String requireForWorkspace(String name, String field) {
        require(name, field);
        if (RESERVED.equalsIgnoreCase(name)) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST,
                    "\"default\" names the account's default workspaces (/v1/workspaces/default); choose another name",
                    field);
        }
        return name;
    }

    /** e.g. {@code ws-brisk-otter-3f9a} */
    public static String generate() {
        byte[] suffix = new byte[2];
        RANDOM.nextBytes(suffix);
        return "ws-" + ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(RANDOM.nextInt(NOUNS.size()))
                + "-" + HexFormat.of().formatHex(suffix);
    }
}
