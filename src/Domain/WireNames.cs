using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ImageCatalog.Domain;

/// <summary>
/// The contract spells enum values in UPPER_SNAKE_CASE (<c>BUILD_IN</c>, <c>IMAGE_SAVE</c>); this is the
/// one place that turns member names into those spellings, for JSON, query strings and SQL alike.
/// </summary>
public static class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> Names =
        Enum.GetValues<TEnum>().ToFrozenDictionary(value => value, value => ToUpperSnakeCase(value.ToString()));

    private static readonly FrozenDictionary<string, TEnum> Values =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every wire spelling, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<TEnum>().Select(value => Names[value])];

    public static string Of(TEnum value) => Names[value];

    /// <summary>Case-insensitive, as the contract asks (<c>build_in</c> is <c>BUILD_IN</c>).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TEnum value)
    {
        value = default;
        return text is not null && Values.TryGetValue(text, out value);
    }

    public static TEnum Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not one of {string.Join(", ", All)}.");

    private static string ToUpperSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }
}
