namespace ImageCatalog.Domain.Images;

/// <summary>What UpdateImageGroup may set on a group (CONTRACT.md section 2).</summary>
public static class GroupRules
{
    public const int ReadMeMaxLength = 30000;
    public const int MaxTags = 20;
    public const int TagKeyMaxLength = 128;
    public const int TagValueMaxLength = 255;
}
