package sh.chaser.launcher;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One process of the local platform: how to start it, its port, and how to tell it is ready.
 *
 * @param port the port it serves, shown by status; 0 when none
 */
public record Component(String name, List<String> command, Map<String, String> env, int port, BooleanSupplier ready) {}
