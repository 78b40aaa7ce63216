package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Under TCG the guest kernel's own TSC and delay-loop calibration can take minutes (seen: no
 * console output within 2 minutes): it is told the host's TSC rate and a loops-per-jiffy value.
 */
public final class ClockHints {

    private ClockHints() {}

    public static String forTcg() {
        long khz = 2_000_000;
        try {
            khz = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("cpu MHz"))
                    .map(l -> Math.round(Double.parseDouble(l.substring(l.indexOf(':') + 1).strip()) * 1000))
                    .findFirst().orElse(khz);
        } catch (IOException | NumberFormatException e) {
            // the default rate: calibration is only slower to converge
        }
        return "lpj=4000000 tsc_early_khz=" + khz + " tsc=reliable";
    }
}
