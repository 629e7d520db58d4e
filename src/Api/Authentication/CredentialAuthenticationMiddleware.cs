using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace ImageCatalog.Api.Authentication;

/// <summary>
/// Authenticates every request with the scheme its credentials belong to (<see cref="AuthenticationSetup.SchemeFor"/>:
/// JwtBearer for a token, AK/SK otherwise) and sets the request's user and authenticate result as the framework's
/// middleware does with a default scheme. A token this process has validated before (<see cref="ValidatedTokenCache"/>),
/// the credential of nearly every request, is answered from the cache here without a handler: the framework's path
/// costs each request an authentication service, a handler provider, a handler with its options and events, and a
/// second ticket (about 4 us of a 100 us read, docs/performance.md).
/// </summary>
public sealed class CredentialAuthenticationMiddleware(RequestDelegate next, ValidatedTokenCache validatedTokens)
{
    public Task InvokeAsync(HttpContext context)
    {
        var scheme = AuthenticationSetup.SchemeFor(context);
        if (scheme == JwtBearerDefaults.AuthenticationScheme
            && JwtSetup.TokenOf(context.Request) is { Length: > 0 } token
            && validatedTokens.TryGet(token, out var caller))
        {
            Set(context, AuthenticateResult.Success(new AuthenticationTicket(caller, scheme)));
            return next(context);
        }

        return AuthenticateThenNextAsync(context, scheme);
    }

    private async Task AuthenticateThenNextAsync(HttpContext context, string scheme)
    {
        Set(context, await context.AuthenticateAsync(scheme));
        await next(context);
    }

    private static void Set(HttpContext context, AuthenticateResult result)
    {
        if (result.Principal is { } principal)
        {
            context.User = principal;
        }

        if (result.Succeeded)
        {
            var authentication = new Authentication(result);
            context.Features.Set<IHttpAuthenticationFeature>(authentication);
            context.Features.Set<IAuthenticateResultFeature>(authentication);
        }
    }

    /// <summary>The two features the framework's middleware sets, kept consistent as its own implementation keeps them.</summary>
    private sealed class Authentication(AuthenticateResult result) : IAuthenticateResultFeature, IHttpAuthenticationFeature
    {
        private AuthenticateResult? _result = result;
        private ClaimsPrincipal? _user = result.Principal;

        public AuthenticateResult? AuthenticateResult
        {
            get => _result;
            set
            {
                _result = value;
                _user = value?.Principal;
            }
        }

        public ClaimsPrincipal? User
        {
            get => _user;
            set
            {
                _user = value;
                _result = null;
            }
        }
    }
}
