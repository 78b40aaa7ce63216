package sh.chaser.agent.application;

import java.util.Set;

/**
 * A CDI event after each reconcile pass: the sessions this host runs now. What keeps state per
 * session beside the sandbox (background commands and their output) drops the rest.
 */
public record SandboxesReconciled(Set<String> running) {}
