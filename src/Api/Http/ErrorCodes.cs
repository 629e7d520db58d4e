namespace ImageCatalog.Api.Http;

/// <summary>The <c>error_code</c> values of the API (CONTRACT.md section 5; the 404-422 and 503 ones are this project's choice).</summary>
public static class ErrorCodes
{
    public const string InvalidArgument = "ModelArts.0101";
    public const string InvalidPayload = "ModelArts.6400";
    public const string NotAuthorized = "ModelArts.0108";
    public const string NotFound = "ModelArts.6404";
    public const string MethodNotAllowed = "ModelArts.6405";
    public const string AlreadyRegistered = "ModelArts.6409";
    public const string PayloadTooLarge = "ModelArts.6413";
    public const string UnsupportedMediaType = "ModelArts.6415";
    public const string IdempotencyKeyReused = "ModelArts.6422";
    public const string Busy = "ModelArts.6101";
    public const string Internal = "ModelArts.6500";
    public const string Unavailable = "ModelArts.6503";
}
