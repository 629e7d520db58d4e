using System.Globalization;
using System.Text;
using FluentValidation;
using FluentValidation.Results;
using ImageCatalog.Domain;

namespace ImageCatalog.Api.Http;

/// <summary>
/// The query string read by the contract's rules, stricter than ASP.NET's binder: a percent-escape that is not
/// UTF-8 is an error rather than U+FFFD, a parameter repeated with different values is an error rather than a
/// silent pick, an empty value means the parameter is absent, and values convert to bool, int and enum with
/// errors that name the parameter. Names this API does not know are ignored.
/// </summary>
public sealed class StrictQueryString
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, string> _values;
    private readonly List<ValidationFailure> _failures;

    private StrictQueryString(Dictionary<string, string> values, List<ValidationFailure> failures)
    {
        _values = values;
        _failures = failures;
    }

    /// <summary>Parses a raw query (with or without its leading '?'); problems are kept until <see cref="ThrowIfInvalid"/>.</summary>
    public static StrictQueryString Parse(string? rawQuery)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var failures = new List<ValidationFailure>();
        var conflicting = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var query = (rawQuery ?? "").AsSpan().TrimStart('?');

        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var rawName = equals < 0 ? pair : pair[..equals];
            var rawValue = equals < 0 ? [] : pair[(equals + 1)..];
            if (!TryDecode(rawName, out var name))
            {
                failures.Add(new ValidationFailure("query", "has a parameter name that is not valid UTF-8 after percent-decoding"));
                continue;
            }

            if (!TryDecode(rawValue, out var value))
            {
                failures.Add(new ValidationFailure(name, "is not valid UTF-8 after percent-decoding"));
                continue;
            }

            if (value.Length == 0)
            {
                continue;
            }

            if (values.TryGetValue(name, out var earlier))
            {
                if (!string.Equals(earlier, value, StringComparison.Ordinal) && conflicting.Add(name))
                {
                    failures.Add(new ValidationFailure(name, "is given more than once with different values"));
                }

                continue;
            }

            values[name] = value;
        }

        return new StrictQueryString(values, failures);
    }

    public string? GetString(string name) => _values.GetValueOrDefault(name);

    public bool GetBoolean(string name, bool defaultValue)
    {
        var text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out var value) && !text.AsSpan().ContainsAny(' ', '\t'))
        {
            return value;
        }

        _failures.Add(new ValidationFailure(name, "must be true or false"));
        return defaultValue;
    }

    /// <summary>
    /// A decimal integer (range rules belong to the validators); anything else, overflow included, is a
    /// failure described by <paramref name="expectation"/>.
    /// </summary>
    public int GetInt32(string name, int defaultValue, string expectation)
    {
        var text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        _failures.Add(new ValidationFailure(name, expectation));
        return defaultValue;
    }

    public TEnum? GetEnum<TEnum>(string name)
        where TEnum : struct, Enum
    {
        var text = GetString(name);
        if (text is null)
        {
            return null;
        }

        if (WireNames<TEnum>.TryParse(text, out var value))
        {
            return value;
        }

        _failures.Add(new ValidationFailure(name, $"must be one of {string.Join(", ", WireNames<TEnum>.All)}"));
        return null;
    }

    /// <summary>Throws one <see cref="ValidationException"/> with every problem met so far.</summary>
    public void ThrowIfInvalid()
    {
        if (_failures.Count > 0)
        {
            throw new ValidationException(_failures);
        }
    }

    // Form decoding ('+' is a space); bytes that are not UTF-8 make the parameter invalid.
    private static bool TryDecode(ReadOnlySpan<char> text, out string decoded)
    {
        if (!text.ContainsAny('%', '+'))
        {
            decoded = text.ToString();
            return true;
        }

        var bytes = PercentDecoding.ToBytes(text, plusIsSpace: true);
        try
        {
            decoded = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            decoded = "";
            return false;
        }
    }
}
