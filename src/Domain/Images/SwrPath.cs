using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageCatalog.Domain.Images;

/// <summary>
/// An image reference in SWR: <c>registry[:port]/namespace/name:tag</c>. Namespace, name and tag
/// obey <see cref="ImageRules"/>; the registry is a host name or IPv4 address with an optional port.
/// </summary>
public sealed partial record SwrPath(string Registry, string Namespace, string Name, string Tag)
{
    public const int MinLength = 16;
    public const int MaxLength = 2048;

    public override string ToString() => $"{Registry}/{Namespace}/{Name}:{Tag}";

    /// <summary>Parses <paramref name="value"/>; on failure <paramref name="error"/> says which part is wrong.</summary>
    public static bool TryParse(
        string? value,
        [NotNullWhen(true)] out SwrPath? path,
        [NotNullWhen(false)] out string? error)
    {
        path = null;
        if (value is null || value.Length < MinLength || value.Length > MaxLength)
        {
            error = $"must be {MinLength}-{MaxLength} characters of the form registry[:port]/namespace/name:tag";
            return false;
        }

        var segments = value.Split('/');
        if (segments.Length != 3)
        {
            error = "must have the form registry[:port]/namespace/name:tag (three '/'-separated parts)";
            return false;
        }

        var (registry, @namespace, nameAndTag) = (segments[0], segments[1], segments[2]);
        if (!IsValidRegistry(registry))
        {
            error = "has an invalid registry: expected a host name or IPv4 address with an optional port 1-65535";
            return false;
        }

        if (!ImageRules.IsValidNamespace(@namespace))
        {
            error = $"has an invalid namespace: it {ImageRules.NamespaceRule}";
            return false;
        }

        var colon = nameAndTag.LastIndexOf(':');
        if (colon < 0)
        {
            error = "has no tag: expected registry[:port]/namespace/name:tag";
            return false;
        }

        var (name, tag) = (nameAndTag[..colon], nameAndTag[(colon + 1)..]);
        if (!ImageRules.IsValidName(name))
        {
            error = $"has an invalid image name: it {ImageRules.NameRule}";
            return false;
        }

        if (!ImageRules.IsValidTag(tag))
        {
            error = $"has an invalid tag: it {ImageRules.TagRule}";
            return false;
        }

        path = new SwrPath(registry, @namespace, name, tag);
        error = null;
        return true;
    }

    public static SwrPath Parse(string value) =>
        TryParse(value, out var path, out var error)
            ? path
            : throw new FormatException($"swr_path {error}");

    private static bool IsValidRegistry(string registry)
    {
        var match = RegistryPattern().Match(registry);
        if (!match.Success)
        {
            return false;
        }

        var port = match.Groups["port"];
        return !port.Success
            || (int.TryParse(port.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number is >= 1 and <= 65535);
    }

    [GeneratedRegex(
        @"\A(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::(?<port>[0-9]{1,5}))?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex RegistryPattern();
}
