package io.cairn.server.repository;

import java.util.List;

/**
 * Everything needed to restore without the server: where the repository is, its password, and the
 * commands. Shown to an admin; never logged, never in an API response.
 */
public record RecoveryKit(String repositoryName, String location, String password, List<String> commands) {

    static RecoveryKit of(ManagedRepository repository, String password) {
        String loc = repository.location();
        return new RecoveryKit(repository.name(), loc, password, List.of(
                "export CAIRN_REPOSITORY='" + loc + "'",
                "export CAIRN_PASSWORD='" + password + "'   # or: --password-file FILE",
                "bin/cairn snapshots                          # every backup in the repository",
                "bin/cairn ls latest                          # browse the newest one",
                "bin/cairn restore latest --target /tmp/cairn-restore",
                "bin/cairn snapshots --tag source-3               # the backups of one source (its id)",
                "bin/cairn restore SNAPSHOT --to-postgres --db-host HOST --db-user USER --db-name NEW --create-database",
                "                                             # a database backup into a new database (also",
                "                                             # --to-mysql, --to-redis, --to-mongodb, --to-sqlite FILE)",
                "bin/cairn check                              # verify the repository"));
    }

    /** The kit as a text file. */
    public String asText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Cairn recovery kit\n==================\n\n");
        sb.append("Keep this file somewhere safe and away from the server (a password manager, a safe).\n");
        sb.append("With it, the cairn command line lists and restores every backup in this repository,\n");
        sb.append("even if the server and its database are gone.\n\n");
        sb.append("Repository: ").append(repositoryName).append('\n');
        sb.append("Location:   ").append(location).append('\n');
        sb.append("Password:   ").append(password).append("\n\n");
        sb.append("Commands (from a Cairn checkout or installation):\n\n");
        for (String c : commands) {
            sb.append("  ").append(c).append('\n');
        }
        return sb.toString();
    }
}
