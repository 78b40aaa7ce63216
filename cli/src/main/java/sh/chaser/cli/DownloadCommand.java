package sh.chaser.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code chaser download}: a file of a sandbox to a local file (or stdout), streamed, with progress. */
@Command(name = "download", mixinStandardHelpOptions = true, description = "Copy a file out of a sandbox session (at most 16 MiB); '-' writes it to stdout.")
final class DownloadCommand implements Callable<Integer> {

    @ParentCommand
    Chaser chaser;
    @Parameters(index = "0", paramLabel = "SESSION")
    String session;
    @Parameters(index = "1", paramLabel = "REMOTE_PATH")
    String remote;
    @Parameters(index = "2", arity = "0..1", paramLabel = "LOCAL_FILE", description = "default: the file's name")
    String local;

    @Override
    public Integer call() throws IOException {
        Api api = chaser.api();
        var response = api.stream(api.request("/v1/sessions/" + Api.q(session) + "/download?path=" + Api.q(remote))
                .GET().build());
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean toStdout = "-".equals(local);
        Path target = toStdout ? null : Path.of(local == null ? Path.of(remote).getFileName().toString() : local);
        Progress progress = new Progress("download " + remote, size, !toStdout && Progress.onTerminal(chaser.json));
        try (InputStream in = progress.counting(response.body())) {
            if (toStdout) {
                OutputStream out = System.out;
                in.transferTo(out);
                out.flush();
            } else {
                // written beside the target and moved into place: an interrupted download leaves no half file
                Path partial = target.toAbsolutePath().resolveSibling(target.getFileName() + ".part");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        progress.finish();
        if (!toStdout && !chaser.json) {
            System.out.println(target + "  " + Files.size(target) + " bytes");
        }
        return 0;
    }
}
