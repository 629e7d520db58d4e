using System.Collections.Concurrent;
using System.Security.Claims;

namespace ImageCatalog.Api.Authentication;

/// <summary>
/// Tokens this process has already validated, so that a client repeating its token costs a dictionary lookup instead
/// of a signature check (about a tenth of a small request's CPU in the benchmark, docs/performance.md). An entry lasts
/// until the token expires, and never longer than <see cref="MaxAge"/>, so a signing key taken out of the
/// configuration stops working within that time. Only successes are kept; the key is the whole token, compared
/// ordinally, so any change to it (signature included) misses. It is not hashed first: a SHA-256 per request cost
/// more than the rest of the lookup (a CPU profile of S4), and the tokens are in the process's memory anyway while
/// their requests run. Bounded: when full it starts over.
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider clock, int capacity = ValidatedTokenCache.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string token, out ClaimsPrincipal principal)
    {
        if (_entries.TryGetValue(token, out var entry))
        {
            if (clock.GetUtcNow() < entry.ValidUntil)
            {
                // A copy: the principal of one request may be changed by its handlers without touching another's.
                principal = entry.Principal.Clone();
                return true;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(token, entry));
        }

        principal = null!;
        return false;
    }

    /// <summary>Keeps a validated token's caller until <paramref name="expires"/> or for <see cref="MaxAge"/>, whichever is sooner.</summary>
    public void Add(string token, ClaimsPrincipal principal, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        var validUntil = expires < now + MaxAge ? expires : now + MaxAge;
        if (validUntil <= now)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[token] = new Entry(principal.Clone(), validUntil);
    }

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset ValidUntil);
}
