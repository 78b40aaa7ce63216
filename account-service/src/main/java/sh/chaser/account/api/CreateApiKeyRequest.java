package sh.chaser.account.api;

import java.util.List;

public record CreateApiKeyRequest(String name, List<String> scopes) {}
