using ImageCatalog.Api.Http;

namespace ImageCatalog.Api.Authentication;

/// <summary>The 401 of every scheme: the contract's body with the failure's code, and WWW-Authenticate.</summary>
public static class Challenges
{
    public static Task WriteAsync(HttpContext context, Exception? failure)
    {
        var (code, message) = failure is CredentialFailure known
            ? (known.ErrorCode, known.Message)
            : (CredentialFailure.NoCredentials, "No credentials: sign the request with an AK/SK or send a token.");
        context.Response.Headers.WWWAuthenticate = new([$"{SdkSignature.Algorithm} realm=\"ImageCatalog\"", "Bearer realm=\"ImageCatalog\""]);
        return ErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, code, message);
    }
}
