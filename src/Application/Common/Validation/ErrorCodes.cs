namespace ImageCatalog.Application.Common.Validation;

/// <summary>Error codes that a validation rule sets itself, where the contract gives a rule its own code.</summary>
public static class ValidationErrorCodes
{
    /// <summary>An unknown or repeated sort key.</summary>
    public const string InvalidSortKey = "ModelArts.6303";
}
