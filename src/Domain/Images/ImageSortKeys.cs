using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace ImageCatalog.Domain.Images;

public enum ImageSortKey
{
    CreateAt,
    UpdateAt,
    Name,
    Namespace,
    Tag,
}

public enum SortDirection
{
    Asc,
    Desc,
}

/// <summary>
/// ListImage's <c>sort_key</c>: one or several comma-separated keys, in the contract's snake_case or the
/// camelCase of the public docs (<c>create_at</c>, <c>createAt</c>). Repeats and unknown keys are errors.
/// </summary>
public static class ImageSortKeys
{
    public const ImageSortKey Default = ImageSortKey.CreateAt;

    public const string Rule =
        "must be one or more comma-separated keys among create_at, update_at, name, namespace, tag";

    private static readonly FrozenDictionary<string, ImageSortKey> Spellings = new Dictionary<string, ImageSortKey>
    {
        ["create_at"] = ImageSortKey.CreateAt,
        ["createAt"] = ImageSortKey.CreateAt,
        ["update_at"] = ImageSortKey.UpdateAt,
        ["updateAt"] = ImageSortKey.UpdateAt,
        ["name"] = ImageSortKey.Name,
        ["namespace"] = ImageSortKey.Namespace,
        ["tag"] = ImageSortKey.Tag,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out IReadOnlyList<ImageSortKey>? keys,
        [NotNullWhen(false)] out string? error)
    {
        keys = null;
        if (text is null)
        {
            keys = [Default];
            error = null;
            return true;
        }

        var parsed = new List<ImageSortKey>();
        foreach (var part in text.Split(','))
        {
            if (!Spellings.TryGetValue(part.Trim(), out var key))
            {
                error = $"has the unknown key '{part.Trim()}': it {Rule}";
                return false;
            }

            if (parsed.Contains(key))
            {
                error = $"names '{part.Trim()}' twice";
                return false;
            }

            parsed.Add(key);
        }

        keys = parsed;
        error = null;
        return true;
    }
}
