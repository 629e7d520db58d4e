using System.Security.Claims;
using ImageCatalog.Api.Authentication;
using Microsoft.Extensions.Time.Testing;

namespace ImageCatalog.UnitTests.Authentication;

public sealed class ValidatedTokenCacheTests
{
    private static readonly ClaimsPrincipal Caller = new(new ClaimsIdentity([new Claim("sub", "team-vision")], "Bearer"));

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public void A_kept_token_gives_a_copy_of_its_caller()
    {
        var cache = new ValidatedTokenCache(_clock);
        cache.Add("token-1", Caller, _clock.GetUtcNow().AddMinutes(30));

        Assert.That(cache.TryGet("token-1", out var principal), Is.True);
        Assert.That(principal, Is.Not.SameAs(Caller));
        Assert.That(principal.FindFirst("sub")?.Value, Is.EqualTo("team-vision"));
    }

    [Test]
    public void Another_token_misses()
    {
        var cache = new ValidatedTokenCache(_clock);
        cache.Add("token-1", Caller, _clock.GetUtcNow().AddMinutes(30));

        Assert.That(cache.TryGet("token-2", out _), Is.False);
        Assert.That(cache.TryGet("token-1 ", out _), Is.False);
    }

    [Test]
    public void An_entry_ends_when_its_token_expires()
    {
        var cache = new ValidatedTokenCache(_clock);
        cache.Add("token-1", Caller, _clock.GetUtcNow().AddSeconds(20));

        _clock.Advance(TimeSpan.FromSeconds(19));
        var beforeExpiry = cache.TryGet("token-1", out _);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.That(beforeExpiry, Is.True);
        Assert.That(cache.TryGet("token-1", out _), Is.False);
    }

    [Test]
    public void An_entry_never_outlives_the_maximum_age()
    {
        var cache = new ValidatedTokenCache(_clock);
        cache.Add("token-1", Caller, _clock.GetUtcNow().AddHours(6));

        _clock.Advance(ValidatedTokenCache.MaxAge - TimeSpan.FromSeconds(1));
        var beforeMaxAge = cache.TryGet("token-1", out _);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.That(beforeMaxAge, Is.True);
        Assert.That(cache.TryGet("token-1", out _), Is.False);
    }

    [Test]
    public void An_expired_token_is_not_kept()
    {
        var cache = new ValidatedTokenCache(_clock);
        cache.Add("token-1", Caller, _clock.GetUtcNow().AddSeconds(-1));

        Assert.That(cache.TryGet("token-1", out _), Is.False);
    }

    [Test]
    public void A_full_cache_starts_over()
    {
        var cache = new ValidatedTokenCache(_clock, capacity: 3);
        foreach (var token in new[] { "a", "b", "c", "d" })
        {
            cache.Add(token, Caller, _clock.GetUtcNow().AddMinutes(30));
        }

        Assert.That(cache.TryGet("a", out _), Is.False);
        Assert.That(cache.TryGet("d", out _), Is.True);
    }
}
