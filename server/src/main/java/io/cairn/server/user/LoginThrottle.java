package io.cairn.server.user;

import io.cairn.server.config.CairnProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing without locking anyone out for good. Failures are counted per
 * (account, client address) pair, per client address and per account. After a key's free attempts,
 * each further attempt must wait twice as long as the one before (1 s, 2 s, 4 s, …) up to a ceiling
 * ({@code cairn.login.max-delay}, 15 minutes by default). The per-account key has a low ceiling of one
 * minute, so an attacker elsewhere can delay the real user's sign-in by a minute at most, never block
 * it. Unknown usernames are throttled exactly like real ones (no enumeration). A success clears the
 * account's and the address's counts. Counts live in memory and reset on restart.
 */
@Component
public class LoginThrottle {

    static final int FREE_PER_ACCOUNT = 20;
    static final Duration ACCOUNT_CEILING = Duration.ofMinutes(1);
    private static final int MAX_ENTRIES = 100_000;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int freePerPair;
    private final int freePerAddress;
    private final Duration ceiling;

    public LoginThrottle(CairnProperties properties, Clock clock) {
        this.clock = clock;
        this.freePerPair = properties.login().freeAttempts();
        this.freePerAddress = properties.login().freeAttemptsPerAddress();
        this.ceiling = properties.login().maxDelay();
    }

    private record Failures(int count, Instant last) {
    }

    /** How long the caller must still wait before trying {@code username} from {@code address}; zero if not. */
    public Duration waitFor(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        wait = max(wait, remaining(pairKey(username, address), freePerPair, ceiling, now));
        wait = max(wait, remaining(addressKey(address), freePerAddress, ceiling, now));
        wait = max(wait, remaining(accountKey(username), FREE_PER_ACCOUNT, min(ceiling, ACCOUNT_CEILING), now));
        return wait;
    }

    public void recordFailure(String username, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_ENTRIES) {
            forgetOld(now);
        }
        for (String key : new String[] {pairKey(username, address), addressKey(address), accountKey(username)}) {
            failures.merge(key, new Failures(1, now), (old, one) -> new Failures(old.count + 1, now));
        }
    }

    public void recordSuccess(String username, String address) {
        failures.remove(pairKey(username, address));
        failures.remove(addressKey(address));
        failures.remove(accountKey(username));
    }

    private Duration remaining(String key, int free, Duration cap, Instant now) {
        Failures f = failures.get(key);
        if (f == null || f.count < free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(f.count - free, 30);
        Duration delay = min(Duration.ofSeconds(1L << doublings), cap);
        Duration left = Duration.between(now, f.last.plus(delay));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void forgetOld(Instant now) {
        Instant cutoff = now.minus(ceiling.multipliedBy(2));
        failures.entrySet().removeIf(e -> e.getValue().last.isBefore(cutoff));
    }

    private static String pairKey(String username, String address) {
        return "pair:" + normalize(username) + "|" + address;
    }

    private static String addressKey(String address) {
        return "addr:" + address;
    }

    private static String accountKey(String username) {
        return "user:" + normalize(username);
    }

    private static String normalize(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
