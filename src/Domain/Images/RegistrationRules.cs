namespace ImageCatalog.Domain.Images;

/// <summary>Limits on the free-text parts of a registration (CONTRACT.md section 2).</summary>
public static class RegistrationRules
{
    public const int DescriptionMaxLength = 512;
    public const int ReadMeMaxLength = 3000;
    public const int MaxTags = 20;
    public const int TagTextMaxLength = 128;
}
