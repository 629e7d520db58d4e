using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace ImageCatalog.Api.Authentication;

/// <summary>
/// The default scheme. A token this process has validated before (<see cref="ValidatedTokenCache"/>), the credential
/// of nearly every request, is answered here; anything else goes to the scheme its credentials belong to
/// (<see cref="AuthenticationSetup.SchemeFor"/>: JwtBearer or AK/SK), and so do challenges and forbids. A policy scheme
/// forwarded every request, which cost each a second handler and a second pass through the authentication service
/// (docs/performance.md).
/// </summary>
public sealed class CredentialsHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ValidatedTokenCache validatedTokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var scheme = AuthenticationSetup.SchemeFor(Context);
        if (scheme == JwtBearerDefaults.AuthenticationScheme
            && JwtSetup.TokenOf(Request) is { Length: > 0 } token
            && validatedTokens.TryGet(token, out var caller))
        {
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(caller, scheme)));
        }

        return Context.AuthenticateAsync(scheme);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Context.ChallengeAsync(AuthenticationSetup.SchemeFor(Context), properties);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Context.ForbidAsync(AuthenticationSetup.SchemeFor(Context), properties);
}
