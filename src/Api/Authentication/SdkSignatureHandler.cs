using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ImageCatalog.Api.Authentication;

/// <summary>
/// Verifies <c>Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...</c> as the official SDKs
/// sign requests. The signed headers must include x-sdk-date, so that the date cannot be moved to replay a request.
/// </summary>
public sealed class SdkSignatureHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> authOptions,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "SdkSignature";
    private const string DateHeader = "X-Sdk-Date";
    private const string ContentHashHeader = "X-Sdk-Content-Sha256";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (authorization.Count > 1 || !SdkAuthorizationHeader.TryParse(authorization[0], out var header))
        {
            return Fail(CredentialFailure.Malformed, "The Authorization header is not a valid SDK-HMAC-SHA256 header.");
        }

        if (!header.SignedHeaders.Contains("x-sdk-date"))
        {
            return Fail(CredentialFailure.Malformed, "The signed headers must include x-sdk-date.");
        }

        var options = authOptions.CurrentValue;
        var credential = options.AccessKeys.FirstOrDefault(key => string.Equals(key.AccessKey, header.AccessKey, StringComparison.Ordinal));
        if (credential is null)
        {
            return Fail(CredentialFailure.Invalid, "The access key is not known.");
        }

        var dates = Request.Headers[DateHeader];
        if (dates.Count != 1 || !SdkSignature.TryParseDate(dates[0], out var date))
        {
            return Fail(CredentialFailure.Malformed, "X-Sdk-Date must be given once, as yyyyMMddTHHmmssZ.");
        }

        if ((clock.GetUtcNow() - date).Duration() > options.ClockSkew)
        {
            return Fail(CredentialFailure.Expired, "X-Sdk-Date is outside the allowed clock skew.");
        }

        var payloadHash = Request.Headers[ContentHashHeader] is { Count: 1 } given ? given[0]! : await HashBodyAsync();
        // Kestrel keeps the request target as sent; a server that does not (the in-memory test server) gets the
        // escaped path and the query instead.
        var target = Context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : (Request.Path + Request.QueryString).ToString();
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var canonical = SdkSignature.CanonicalRequest(
            Request.Method,
            question < 0 ? target : target[..question],
            question < 0 ? "" : target[(question + 1)..],
            name => Request.Headers[name].Select(value => value ?? ""),
            header.SignedHeaders,
            payloadHash);
        var expected = SdkSignature.Sign(credential.SecretKey, SdkSignature.StringToSign(dates[0]!, canonical));
        if (!SdkSignature.SignaturesEqual(expected, header.Signature))
        {
            return Fail(CredentialFailure.Invalid, "The signature does not match the request.");
        }

        var principal = Caller.Principal(SchemeName, credential.AccessKey, credential.Projects, credential.Roles);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties) =>
        await Challenges.WriteAsync(Context, (await HandleAuthenticateOnceSafeAsync()).Failure);

    private async Task<string> HashBodyAsync()
    {
        // The body is read here and again by MVC.
        Request.EnableBuffering();
        using var buffer = new MemoryStream();
        await Request.Body.CopyToAsync(buffer, Context.RequestAborted);
        Request.Body.Position = 0;
        return SdkSignature.HexSha256(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static AuthenticateResult Fail(string code, string message) => AuthenticateResult.Fail(new CredentialFailure(code, message));
}
