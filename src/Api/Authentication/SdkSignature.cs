using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ImageCatalog.Api.Http;

namespace ImageCatalog.Api.Authentication;

/// <summary>
/// The SDK-HMAC-SHA256 signature of the Huawei Cloud SDKs (CONTRACT.md section 3): canonical request,
/// string-to-sign and signature, exactly as the official SDK computes them.
/// </summary>
public static class SdkSignature
{
    public const string Algorithm = "SDK-HMAC-SHA256";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    private static readonly UTF8Encoding Utf8Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// The canonical request. <paramref name="rawPath"/> and <paramref name="rawQuery"/> are as sent (still
    /// percent-encoded, the query without '?'); <paramref name="headerValues"/> gives the received values of a
    /// lowercase header name; <paramref name="signedHeaders"/> are lowercase and sorted.
    /// </summary>
    public static string CanonicalRequest(
        string method,
        string rawPath,
        string rawQuery,
        Func<string, IEnumerable<string>> headerValues,
        IReadOnlyList<string> signedHeaders,
        string payloadHash)
    {
        var builder = new StringBuilder();
        builder.Append(method).Append('\n');
        builder.Append(CanonicalUri(rawPath)).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaders)
        {
            foreach (var value in headerValues(name).Select(value => value.Trim()).Order(StringComparer.Ordinal))
            {
                builder.Append(name).Append(':').Append(value).Append('\n');
            }
        }

        builder.Append('\n');
        builder.Append(string.Join(';', signedHeaders)).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>Decode the path, encode each '/' segment, and always end with '/'.</summary>
    public static string CanonicalUri(string rawPath)
    {
        var decoded = Utf8Lenient.GetString(PercentDecoding.ToBytes(rawPath, plusIsSpace: false));
        var encoded = string.Join('/', decoded.Split('/').Select(Encode));
        return encoded.EndsWith('/') ? encoded : encoded + "/";
    }

    /// <summary>Form-decode each key and value, sort keys then values ordinally, emit enc(k)=enc(v) joined by '&amp;'.</summary>
    public static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return "";
        }

        var pairs = rawQuery.Split('&')
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? "" : pair[(equals + 1)..];
                return (Key: FormDecode(key), Value: FormDecode(value));
            })
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(pair => Encode(pair.Key) + "=" + Encode(pair.Value)));
    }

    public static string StringToSign(string sdkDate, string canonicalRequest) =>
        $"{Algorithm}\n{sdkDate}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

    public static string Sign(string secretKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));

    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Constant-time comparison of two hex signatures.</summary>
    public static bool SignaturesEqual(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToLowerInvariant()));

    public static bool TryParseDate(string? text, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(
            text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);

    /// <summary>UTF-8 bytes; A-Z a-z 0-9 - _ . ~ stay, every other byte is %XX in upper-case hex.</summary>
    public static string Encode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    // Invalid UTF-8 after decoding becomes U+FFFD, as the contract says for signing.
    private static string FormDecode(string text) => Utf8Lenient.GetString(PercentDecoding.ToBytes(text, plusIsSpace: true));
}
