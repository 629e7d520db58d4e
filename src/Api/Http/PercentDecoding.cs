using System.Globalization;
using System.Text;

namespace ImageCatalog.Api.Http;

/// <summary>
/// Percent-decoding to bytes, shared by the strict query string and the signature verifier, which differ only
/// in how they treat bytes that are not UTF-8. A '%' not followed by two hex digits stays as it is.
/// </summary>
public static class PercentDecoding
{
    public static byte[] ToBytes(ReadOnlySpan<char> text, bool plusIsSpace)
    {
        var bytes = new List<byte>(text.Length);
        while (!text.IsEmpty)
        {
            var special = plusIsSpace ? text.IndexOfAny('%', '+') : text.IndexOf('%');
            var literal = special < 0 ? text : text[..special];
            bytes.AddRange(Encoding.UTF8.GetBytes(literal.ToArray()));
            if (special < 0)
            {
                break;
            }

            text = text[special..];
            if (text[0] == '+')
            {
                bytes.Add((byte)' ');
                text = text[1..];
            }
            else if (text.Length >= 3 && char.IsAsciiHexDigit(text[1]) && char.IsAsciiHexDigit(text[2]))
            {
                bytes.Add(byte.Parse(text.Slice(1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                text = text[3..];
            }
            else
            {
                bytes.Add((byte)'%');
                text = text[1..];
            }
        }

        return [.. bytes];
    }
}
