using ImageCatalog.Api.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace ImageCatalog.UnitTests.Authentication;

public sealed class CredentialAuthenticationMiddlewareTests
{
    [Test]
    public async Task A_token_validated_before_is_answered_from_the_cache_without_any_scheme()
    {
        var cache = new ValidatedTokenCache(TimeProvider.System);
        cache.Add("token-1", Caller.Principal("Bearer", "ci", ["p-1"], ["reader"]), DateTimeOffset.UtcNow.AddHours(1));
        // No authentication services at all: reaching a scheme would throw.
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        context.Request.Headers["X-Auth-Token"] = "token-1";
        var reachedNext = false;

        await new CredentialAuthenticationMiddleware(_ => { reachedNext = true; return Task.CompletedTask; }, cache).InvokeAsync(context);

        var result = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
        Assert.Multiple(() =>
        {
            Assert.That(reachedNext, Is.True);
            Assert.That(context.User.Credential(), Is.EqualTo("ci"));
            Assert.That(result?.Succeeded, Is.True);
            Assert.That(result?.Principal, Is.SameAs(context.User));
            Assert.That(context.Features.Get<IHttpAuthenticationFeature>()?.User, Is.SameAs(context.User));
        });
    }

    [Test]
    public async Task A_token_not_in_the_cache_goes_to_its_scheme()
    {
        var authentication = new RecordingAuthentication();
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton<IAuthenticationService>(authentication).BuildServiceProvider(),
        };
        context.Request.Headers["X-Auth-Token"] = "token-2";
        var reachedNext = false;

        await new CredentialAuthenticationMiddleware(_ => { reachedNext = true; return Task.CompletedTask; }, new ValidatedTokenCache(TimeProvider.System))
            .InvokeAsync(context);

        Assert.Multiple(() =>
        {
            Assert.That(authentication.Schemes, Is.EqualTo(new[] { "Bearer" }));
            Assert.That(reachedNext, Is.True);
            Assert.That(context.User.Identity?.IsAuthenticated, Is.False);
            Assert.That(context.Features.Get<IAuthenticateResultFeature>(), Is.Null);
        });
    }

    /// <summary>Answers every authentication with no result and records the schemes asked.</summary>
    private sealed class RecordingAuthentication : IAuthenticationService
    {
        public List<string?> Schemes { get; } = [];

        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            Schemes.Add(scheme);
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => throw new NotSupportedException();

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => throw new NotSupportedException();

        public Task SignInAsync(HttpContext context, string? scheme, System.Security.Claims.ClaimsPrincipal principal, AuthenticationProperties? properties) =>
            throw new NotSupportedException();

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => throw new NotSupportedException();
    }
}
