package sh.chaser.agent.domain;

import java.util.List;
import java.util.Map;

/**
 * A paused sandbox as the host that keeps it describes it to another host that is to resume it: its
 * spec and runtime, the pause's sealed manifest (what the copies are checked against), what its VM was
 * started with that a resume needs again, and the names of its background commands' files.
 */
public record MovedSandbox(SandboxSpec spec, String runtime, String manifest, Map<String, String> resources,
        List<String> commandFiles) {

    public MovedSandbox {
        resources = Map.copyOf(resources == null ? Map.of() : resources);
        commandFiles = List.copyOf(commandFiles == null ? List.of() : commandFiles);
        manifest = manifest == null ? "" : manifest;
    }
}
