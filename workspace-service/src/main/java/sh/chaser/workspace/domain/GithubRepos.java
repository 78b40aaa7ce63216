package sh.chaser.workspace.domain;

import java.util.regex.Pattern;
import sh.chaser.common.api.ServiceException;

/** {@code owner/repo} as GitHub spells them; appended to the configured git base URL. */
public final class GithubRepos {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

    private GithubRepos() {}

    public static String require(String repo) {
        if (repo == null || !SHAPE.matcher(repo).matches() || repo.endsWith("/..") || repo.endsWith("/.")) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "github_repo must look like \"owner/repo\"",
                    "github_repo");
        }
        return repo.endsWith(".git") ? repo.substring(0, repo.length() - 4) : repo;
    }

    /** @return the ref, or null for the default branch */
    public static String ref(String ref) {
        if (ref == null || ref.isEmpty()) {
            return null;
        }
        if (!REF.matcher(ref).matches() || ref.contains("..") || ref.startsWith("-")) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "ref must be a branch, tag or commit", "ref");
        }
        return ref;
    }
}
