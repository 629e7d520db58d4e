using System.Diagnostics.CodeAnalysis;

namespace ImageCatalog.Api.Authentication;

/// <summary><c>SDK-HMAC-SHA256 Access=AK, SignedHeaders=h1;h2, Signature=hex</c>, parsed strictly.</summary>
public sealed record SdkAuthorizationHeader(string AccessKey, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdkAuthorizationHeader? header)
    {
        header = null;
        const string prefix = SdkSignature.Algorithm + " ";
        if (value is null || !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value[prefix.Length..].Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !fields.TryAdd(part[..equals].Trim(), part[(equals + 1)..].Trim()))
            {
                return false;
            }
        }

        if (fields.Count != 3
            || !fields.TryGetValue("Access", out var access) || access.Length == 0
            || !fields.TryGetValue("SignedHeaders", out var signed) || signed.Length == 0
            || !fields.TryGetValue("Signature", out var signature)
            || signature.Length != 64 || !signature.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        var names = signed.Split(';');
        if (names.Any(name => name.Length == 0 || name != name.ToLowerInvariant())
            || !names.SequenceEqual(names.Order(StringComparer.Ordinal)))
        {
            return false;
        }

        header = new SdkAuthorizationHeader(access, names, signature);
        return true;
    }
}
