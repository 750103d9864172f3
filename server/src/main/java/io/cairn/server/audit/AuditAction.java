package io.cairn.server.audit;

/** What an audit entry records. The code is what is stored and what exports and filters use. */
public enum AuditAction {
    SETUP_COMPLETED("setup.completed", "First admin created"),
    LOGIN("auth.login", "Signed in"),
    LOGIN_FAILED("auth.login.failed", "Failed sign-in"),
    LOGIN_THROTTLED("auth.login.throttled", "Sign-in refused: too many failures"),
    LOGOUT("auth.logout", "Signed out"),
    API_LOGIN("auth.api.login", "API login"),
    API_REFRESH_REUSED("auth.api.refresh.reused", "Reused refresh token (login ended)"),
    ACCESS_DENIED("auth.denied", "Access denied"),
    USER_CREATED("user.created", "User created"),
    USER_ROLE_CHANGED("user.role.changed", "Role changed"),
    USER_DISABLED("user.disabled", "User disabled"),
    USER_ENABLED("user.enabled", "User enabled"),
    PASSWORD_CHANGED("user.password.changed", "Password changed"),
    PASSWORD_RESET("user.password.reset", "Password reset by an admin"),
    TOKEN_CREATED("token.created", "API token created"),
    TOKEN_REVOKED("token.revoked", "API token revoked"),
    REPOSITORY_INITIALIZED("repository.initialized", "Repository initialized"),
    RECOVERY_KIT_VIEWED("repository.recovery-kit.viewed", "Recovery kit shown"),
    RECOVERY_KIT_CONFIRMED("repository.recovery-kit.confirmed", "Recovery kit saved"),
    AUDIT_EXPORTED("audit.exported", "Audit log exported"),
    SOURCE_CREATED("source.created", "Source created"),
    SOURCE_UPDATED("source.updated", "Source changed"),
    SOURCE_DELETED("source.deleted", "Source deleted"),
    SOURCE_TESTED("source.tested", "Source connection tested"),
    PROJECT_CREATED("project.created", "Project created"),
    PROJECT_UPDATED("project.updated", "Project changed"),
    PROJECT_DELETED("project.deleted", "Project deleted"),
    BACKUP_STARTED("backup.started", "Backup started"),
    BACKUP_SUCCEEDED("backup.succeeded", "Backup succeeded"),
    BACKUP_FAILED("backup.failed", "Backup failed"),
    BACKUP_CANCELLED("backup.cancelled", "Backup cancelled"),
    BACKUP_CANCEL_REQUESTED("backup.cancel_requested", "Backup cancel asked for"),
    BACKUP_DELETED("backup.deleted", "Backup deleted"),
    RESTORE_STARTED("restore.started", "Restore started"),
    RESTORE_SUCCEEDED("restore.succeeded", "Restore succeeded"),
    RESTORE_FAILED("restore.failed", "Restore failed"),
    RESTORE_CANCELLED("restore.cancelled", "Restore cancelled"),
    RESTORE_CANCEL_REQUESTED("restore.cancel_requested", "Restore cancel asked for"),
    BROWSE_OPENED("browse.opened", "Backup opened for browsing"),
    BROWSE_CLOSED("browse.closed", "Browse session closed"),
    BROWSE_DOWNLOADED("browse.downloaded", "Files downloaded from a backup"),
    BROWSE_PREVIEWED("browse.previewed", "File previewed from a backup"),
    SCHEDULE_CREATED("schedule.created", "Schedule created"),
    SCHEDULE_UPDATED("schedule.updated", "Schedule changed"),
    SCHEDULE_ENABLED("schedule.enabled", "Schedule enabled"),
    SCHEDULE_DISABLED("schedule.disabled", "Schedule disabled"),
    SCHEDULE_DELETED("schedule.deleted", "Schedule deleted"),
    RETENTION_APPLIED("retention.applied", "Retention applied"),
    RETENTION_REFUSED("retention.refused", "Retention refused: it would remove every backup"),
    PRUNE_SCHEDULE_CHANGED("prune.schedule.changed", "Prune schedule changed"),
    PRUNE_STARTED("prune.started", "Prune started"),
    PRUNE_SUCCEEDED("prune.succeeded", "Prune succeeded"),
    PRUNE_FAILED("prune.failed", "Prune failed");

    private final String code;
    private final String label;

    AuditAction(String code, String label) {
        this.code = code;
        this.label = label;
    }

    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static AuditAction fromCode(String code) {
        for (AuditAction a : values()) {
            if (a.code.equals(code)) {
                return a;
            }
        }
        return null;
    }
}
