package sh.chaser.gateway.api.mcp;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * read_file, write_file, apply_edit and list_files: the API's download, upload and exec, so a path
 * is resolved inside the sandbox exactly as those routes resolve it (no way out of it).
 */
@ApplicationScoped
class SandboxFiles {

    @Inject
    SessionTargets targets;
    @Inject
    SandboxCalls calls;

    Future<JsonObject> read(Caller caller, Args args) {
        String path = args.required("path");
        return targets.resolve(caller, args, "sandbox").compose(target -> calls.download(caller, target, path)
                .map(bytes -> {
                    JsonObject out = target.describe().put("path", path).put("size", bytes.length());
                    String text = utf8(bytes);
                    return text != null
                            ? out.put("encoding", "utf-8").put("content", text)
                            : out.put("encoding", "base64").put("content", Base64.getEncoder().encodeToString(
                                    bytes.getBytes()));
                }));
    }

    Future<JsonObject> write(Caller caller, Args args) {
        String path = args.required("path");
        String content = args.string("content");
        if (content == null) {
            throw ToolFailure.invalid("content is required");
        }
        Buffer bytes = decode(content, args.string("encoding"));
        return targets.resolve(caller, args, "sandbox").compose(target -> calls.upload(caller, target, path, bytes)
                .map(written -> target.describe().mergeIn(written)));
    }

    Future<JsonObject> edit(Caller caller, Args args) {
        String path = args.required("path");
        String oldText = args.required("old_text");
        String newText = args.string("new_text");
        if (newText == null) {
            throw ToolFailure.invalid("new_text is required (\"\" deletes old_text)");
        }
        boolean all = args.bool("replace_all");
        return targets.resolve(caller, args, "sandbox").compose(target -> calls.download(caller, target, path)
                .compose(bytes -> {
                    String text = utf8(bytes);
                    if (text == null) {
                        return Future.failedFuture(ToolFailure.invalid(path + " is not UTF-8 text"));
                    }
                    int count = occurrences(text, oldText);
                    if (count == 0 || (count > 1 && !all)) {
                        return Future.failedFuture(ToolFailure.invalid(count == 0
                                ? "old_text does not occur in " + path
                                : "old_text occurs " + count + " times in " + path
                                        + "; include more context or set replace_all"));
                    }
                    String edited = all
                            ? text.replace(oldText, newText)
                            : text.replaceFirst(
                                    java.util.regex.Pattern.quote(oldText),
                                    java.util.regex.Matcher.quoteReplacement(newText));
                    return calls.upload(caller, target, path, Buffer.buffer(edited, "UTF-8"))
                            .map(written -> target.describe().mergeIn(written).put("replacements", count));
                }));
    }

    Future<JsonObject> list(Caller caller, Args args) {
        String path = args.has("path") ? args.required("path") : ".";
        Integer depth = args.integer("depth");
        String command = "cd -- " + quote(path) + " && find . -mindepth 1 -maxdepth " + (depth == null ? 1 : depth)
                + " -exec stat -c '%F\t%s\t%n' {} +";
        return targets.resolve(caller, args, "sandbox").compose(target -> calls.exec(caller, target,
                new JsonObject().put("command", command)).compose(result -> {
                    if (result.getInteger("exit_code", -1) != 0) {
                        return Future.failedFuture(new ToolFailure("file_not_found",
                                "cannot list " + path + ": " + result.getString("output", "").strip()));
                    }
                    return Future.succeededFuture(target.describe().put("path", path)
                            .put("entries", entries(result.getString("output", "")))
                            .put("truncated", result.getBoolean("output_truncated", false)));
                }));
    }

    private static JsonArray entries(String output) {
        JsonArray entries = new JsonArray();
        for (String line : output.split("\n")) {
            String[] f = line.split("\t", 3);
            if (f.length == 3) {
                String type = switch (f[0]) {
                    case "directory" -> "directory";
                    case "regular file", "regular empty file" -> "file";
                    case "symbolic link" -> "symlink";
                    default -> "other";
                };
                String name = f[2].startsWith("./") ? f[2].substring(2) : f[2];
                entries.add(new JsonObject().put("name", name).put("type", type).put("size", Long.parseLong(f[1])));
            }
        }
        return entries;
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            count++;
        }
        return count;
    }

    private static Buffer decode(String content, String encoding) {
        if (encoding == null || encoding.equals("utf-8")) {
            return Buffer.buffer(content, "UTF-8");
        }
        if (!encoding.equals("base64")) {
            throw ToolFailure.invalid("encoding must be utf-8 or base64");
        }
        try {
            return Buffer.buffer(Base64.getDecoder().decode(content));
        } catch (IllegalArgumentException e) {
            throw ToolFailure.invalid("content is not valid base64");
        }
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    private static String utf8(Buffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.getBytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
