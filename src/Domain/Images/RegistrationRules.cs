namespace ImageCatalog.Domain.Images;

/// <summary>Limits on the free-text parts of a registration (CONTRACT.md section 2).</summary>
public static class RegistrationRules
{
    public const int DescriptionMaxLength = 512;
    public const int ReadMeMaxLength = 3000;
    public const int MaxTags = 20;
    public const int TagTextMaxLength = 128;
    public const int IdempotencyKeyMaxLength = 255;

    /// <summary>How long the first answer to an <c>Idempotency-Key</c> is kept: the contract asks for at least 24 h.</summary>
    public static readonly TimeSpan IdempotencyKeyRetention = TimeSpan.FromHours(24);

    /// <summary>
    /// 1-255 visible ASCII characters (a UUID, a ULID, a client's own request id): a key travels in a header and is
    /// compared byte for byte, so nothing that a proxy could fold, trim or re-encode.
    /// </summary>
    public static bool IsValidIdempotencyKey(string key) =>
        key.Length is > 0 and <= IdempotencyKeyMaxLength && key.All(character => character is >= '!' and <= '~');
}
