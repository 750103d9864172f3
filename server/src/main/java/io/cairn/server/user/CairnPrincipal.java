package io.cairn.server.user;

import java.util.Collection;
import java.util.List;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The signed-in user, as Spring Security holds it. Equal by user id, so the session registry finds
 * every session of one account.
 */
public final class CairnPrincipal implements UserDetails, CredentialsContainer {

    private final UserId id;
    private final String username;
    private final Role role;
    private final boolean enabled;
    private String passwordHash;

    public CairnPrincipal(UserId id, String username, Role role, boolean enabled, String passwordHash) {
        this.id = id;
        this.username = username;
        this.role = role;
        this.enabled = enabled;
        this.passwordHash = passwordHash;
    }

    public static CairnPrincipal of(User user) {
        return new CairnPrincipal(user.id(), user.username(), user.role(), user.enabled(), null);
    }

    public UserId id() {
        return id;
    }

    public Role role() {
        return role;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority(role.authority()));
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CairnPrincipal p && p.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "CairnPrincipal[" + username + ", " + role + "]";
    }
}
