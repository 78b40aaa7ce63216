package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.guest.GuestCommands;
import sh.chaser.agent.host.ProcessTable;
import sh.chaser.agent.runtime.namespace.BrowserInit;

/** When a booting VM is ready: its guest agent answers; for a browser, Chromium's DevTools too. */
final class GuestReadiness {

    private static final Logger LOG = Logger.getLogger(GuestReadiness.class);

    private GuestReadiness() {}

    /**
     * Until the guest agent answers. Its start shows on the VM's console first ("serving on"): a
     * connection tried before the guest's network is up waits on ARP for a second or more, so
     * the agent is called once the console says so (and every 2 s regardless).
     */
    static void await(VmParts vm, long pid, long ticks, GuestClient client, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextTry = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            if (consoleSays(vm, "chaser-guest: serving on") || System.nanoTime() > nextTry) {
                if (client.ready()) {
                    return;
                }
                nextTry = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            }
            if (!ProcessTable.alive(pid, ticks) || System.nanoTime() > deadline) {
                LOG.warnf("VM %s did not answer; its console:\n%s", vm.sessionId(), consoleTail(vm));
                ProcessTable.kill(pid);
                throw AgentError.BOOT_FAILED.exception("the microVM's agent did not start");
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }

    /**
     * Thaws a guest that was started from saved state (its disk frozen by the pause) and sets its
     * clock, retrying while it comes up; a guest that does not answer in time, or a VM that ended,
     * fails the start.
     */
    static void awaitThaw(GuestClient guest, long pid, long ticks, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                guest.thaw(java.time.Instant.now());
                return;
            } catch (IOException | RuntimeException e) {
                if (System.nanoTime() > deadline || !ProcessTable.alive(pid, ticks)) {
                    throw AgentError.BOOT_FAILED.exception("the resumed guest did not answer: " + e.getMessage());
                }
                LockSupport.parkNanos(50_000_000L);
            }
        }
    }

    /**
     * Chromium as the sandbox's user, started through the guest agent; its DevTools (on the guest's
     * loopback) answers at the VM's address through the agent's relay, for the host only. The
     * session runs once DevTools answers there. The guest's id of Chromium's command.
     */
    static String startBrowser(GuestClient guest, String address, long pid, String sessionId, Duration timeout) {
        String command;
        try {
            command = new GuestCommands(guest).start(BrowserInit.shell("127.0.0.1") + " >/tmp/chromium.log 2>&1",
                    "/workspace", Map.of("HOME", "/workspace")).id();
        } catch (IOException e) {
            ProcessTable.kill(pid);
            throw AgentError.BOOT_FAILED.exception("the microVM's browser did not start: " + e.getMessage());
        }
        if (!devToolsAnswers(address, timeout)) {
            String log;
            try {
                log = new String(
                        guest.exec("tail -n 30 /tmp/chromium.log", "/", Map.of(), Duration.ofSeconds(20)).output(),
                        StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                log = "(unreadable: " + e.getMessage() + ")";
            }
            LOG.warnf("VM %s: Chromium's DevTools did not answer; it printed:\n%s", sessionId, log);
            ProcessTable.kill(pid);
            throw AgentError.BOOT_FAILED.exception("the microVM's browser did not start");
        }
        return command;
    }

    /** Until DevTools answers HTTP (the relay accepts connections before Chromium listens behind it). */
    private static boolean devToolsAnswers(String address, Duration timeout) {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var request = HttpRequest.newBuilder(URI.create("http://" + address + ":" + BrowserInit.DEBUGGING_PORT
                + "/json/version")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // the relay closes the connection while nothing listens behind it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            LockSupport.parkNanos(200_000_000L);
        }
        return false;
    }

    /** Whether the console holds {@code text} yet (it is small: a guest's boot prints a few KiB). */
    private static boolean consoleSays(VmParts vm, String text) {
        try {
            return Files.readString(vm.console(), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The last lines the guest printed (for a boot that failed). */
    private static String consoleTail(VmParts vm) {
        try {
            List<String> lines = Files.readAllLines(vm.console(), StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    static void thawQuietly(GuestClient guest) {
        try {
            guest.thaw(java.time.Instant.now());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("the guest was not thawed after a failed pause (%s); it thaws itself within a minute",
                    e.getMessage());
        }
    }

    /** A locally administered MAC per slot (02:c5:...), so a VM's address and its MAC go together. */
    static String mac(int slot) {
        return String.format("02:c5:00:%02x:%02x:%02x", (slot >> 16) & 0xff, (slot >> 8) & 0xff, slot & 0xff);
    }
}
