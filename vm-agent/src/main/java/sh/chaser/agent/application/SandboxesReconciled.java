package sh.chaser.agent.application;

import java.util.Set;

/**
 * A CDI event after each reconcile pass: the sessions this host runs now, and those it keeps
 * paused. What keeps state per session beside the sandbox (background commands and their output)
 * drops what belongs to neither.
 */
public record SandboxesReconciled(Set<String> running, Set<String> paused) {}
