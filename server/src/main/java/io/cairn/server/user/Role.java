package io.cairn.server.user;

/** What a user may do. Each role includes everything the roles below it may do. */
public enum Role {
    VIEWER("Viewer", "Sees everything, changes nothing."),
    OPERATOR("Operator", "Runs backups and restores, manages sources and schedules."),
    ADMIN("Admin", "Everything, including users, settings and the audit log.");

    private final String label;
    private final String description;

    Role(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Spring Security's authority name. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** Whether this role may do what {@code required} may do. */
    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }
}
