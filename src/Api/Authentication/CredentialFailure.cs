namespace ImageCatalog.Api.Authentication;

/// <summary>Why credentials were refused, with the contract's error code (CONTRACT.md section 3).</summary>
public sealed class CredentialFailure(string errorCode, string message) : Exception(message)
{
    public const string NoCredentials = "ModelArts.0205";
    public const string Malformed = "ModelArts.0206";
    public const string Invalid = "ModelArts.0203";
    public const string Expired = "ModelArts.0202";

    public string ErrorCode { get; } = errorCode;
}
