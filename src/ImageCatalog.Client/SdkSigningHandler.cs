using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ImageCatalog.Client;

/// <summary>
/// Signs requests with an access key and secret key the way the Huawei Cloud SDKs do (SDK-HMAC-SHA256): host (without
/// port), x-project-id (the path's project unless the request sets it) and x-sdk-date, sending Host without the port
/// as the SDK does. Written apart from the service's verifier, so that a mistake in one does not hide in the other;
/// the tests check it on requests signed by the official SDK (../shared/sdk-signature-vectors.json).
/// </summary>
public sealed class SdkSigningHandler(string accessKey, string secretKey, Func<DateTimeOffset>? clock = null) : DelegatingHandler
{

    public static string Sign(string secretKey, string method, Uri uri, IReadOnlyList<(string Name, string Value)> signedHeaders, byte[] body)
    {
        var lines = new StringBuilder();
        lines.Append(method).Append('\n');
        var path = string.Join('/', Uri.UnescapeDataString(uri.AbsolutePath).Split('/').Select(Escape));
        lines.Append(path.EndsWith('/') ? path : path + "/").Append('\n');
        var query = uri.Query.TrimStart('?');
        var pairs = query.Length == 0 ? [] : query.Split('&').Select(pair =>
        {
            var parts = pair.Split('=', 2);
            return (Key: Unescape(parts[0]), Value: parts.Length > 1 ? Unescape(parts[1]) : "");
        }).OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).ToList();
        lines.Append(string.Join('&', pairs.Select(p => $"{Escape(p.Key)}={Escape(p.Value)}"))).Append('\n');
        var ordered = signedHeaders.OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        foreach (var (name, value) in ordered)
        {
            lines.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        lines.Append('\n').Append(string.Join(';', ordered.Select(h => h.Name))).Append('\n');
        lines.Append(Convert.ToHexStringLower(SHA256.HashData(body)));
        var date = ordered.Single(h => h.Name == "x-sdk-date").Value;
        var toSign = $"SDK-HMAC-SHA256\n{date}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())))}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(toSign)));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var date = (clock?.Invoke() ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var segments = uri.AbsolutePath.Split('/');
        var project = segments.Length > 2 ? Uri.UnescapeDataString(segments[2]) : "";
        request.Headers.Host = uri.Host;
        request.Headers.Remove("X-Sdk-Date");
        request.Headers.Add("X-Sdk-Date", date);
        if (!request.Headers.Contains("X-Project-Id"))
        {
            request.Headers.Add("X-Project-Id", project);
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        (string, string)[] signed = [("host", uri.Host), ("x-project-id", request.Headers.GetValues("X-Project-Id").Single()), ("x-sdk-date", date)];
        var signature = Sign(secretKey, request.Method.Method, uri, signed, body);
        request.Headers.TryAddWithoutValidation(
            "Authorization", $"SDK-HMAC-SHA256 Access={accessKey}, SignedHeaders=host;x-project-id;x-sdk-date, Signature={signature}");
        return await base.SendAsync(request, cancellationToken);
    }

    private static string Escape(string text) =>
        string.Concat(Encoding.UTF8.GetBytes(text).Select(b =>
            char.IsAsciiLetterOrDigit((char)b) || "-_.~".Contains((char)b, StringComparison.Ordinal) ? ((char)b).ToString() : $"%{b:X2}"));

    // Form decoding; bytes that are not UTF-8 become U+FFFD, as the contract says for signing.
    private static string Unescape(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i] == '+' ? " " : text[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
