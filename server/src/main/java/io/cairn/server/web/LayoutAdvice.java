package io.cairn.server.web;

import io.cairn.server.repository.ManagedRepository;
import io.cairn.server.repository.RepositoryService;
import io.cairn.server.system.SystemHealth;
import io.cairn.server.user.CairnPrincipal;
import io.cairn.server.user.Role;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page's layout needs: the signed-in user, the navigation for their role, the version. */
@ControllerAdvice(annotations = Controller.class)
public class LayoutAdvice {

    private final SystemHealth health;
    private final RepositoryService repositories;

    public LayoutAdvice(SystemHealth health, RepositoryService repositories) {
        this.health = health;
        this.repositories = repositories;
    }

    @ModelAttribute("me")
    public CairnPrincipal me() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof CairnPrincipal p ? p : null;
    }

    @ModelAttribute("isAdmin")
    public boolean isAdmin() {
        CairnPrincipal me = me();
        return me != null && me.role() == Role.ADMIN;
    }

    /** Whether the signed-in user may run backups and restores and manage sources (OPERATOR or ADMIN). */
    @ModelAttribute("canOperate")
    public boolean canOperate() {
        CairnPrincipal me = me();
        return me != null && me.role().includes(Role.OPERATOR);
    }

    @ModelAttribute("version")
    public String version() {
        return health.version();
    }

    @ModelAttribute("nav")
    public List<NavItem> nav() {
        CairnPrincipal me = me();
        if (me == null) {
            return List.of();
        }
        List<NavItem> items = new ArrayList<>();
        items.add(new NavItem("dashboard", "Dashboard", "/", "i-dashboard", false));
        items.add(new NavItem("sources", "Sources", "/sources", "i-sources", false));
        items.add(new NavItem("backups", "Backups", "/backups", "i-backups", false));
        items.add(new NavItem("restore", "Restore", "/restore", "i-restore", false));
        items.add(new NavItem("schedules", "Schedules", "/schedules", "i-schedules", false));
        items.add(new NavItem("repositories", "Repositories", "/repositories", "i-repositories", false));
        if (me.role() == Role.ADMIN) {
            items.add(new NavItem("settings", "Settings", "/settings", "i-settings", false));
            items.add(new NavItem("audit", "Audit", "/audit", "i-audit", false));
        } else {
            items.add(new NavItem("account", "Settings", "/account", "i-settings", false));
        }
        return items;
    }

    /** A repository whose recovery kit no admin has stored yet (a banner on every page), or null. */
    @ModelAttribute("pendingKit")
    public ManagedRepository pendingKit() {
        if (!isAdmin()) {
            return null;
        }
        List<ManagedRepository> pending = repositories.withRecoveryKitPending();
        return pending.isEmpty() ? null : pending.get(0);
    }
}
