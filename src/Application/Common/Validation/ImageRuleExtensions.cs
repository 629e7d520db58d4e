using FluentValidation;
using ImageCatalog.Domain;
using ImageCatalog.Domain.Images;

namespace ImageCatalog.Application.Common.Validation;

/// <summary>FluentValidation rules backed by <see cref="ImageRules"/>, so no validator restates a pattern.</summary>
public static class ImageRuleExtensions
{
    public static IRuleBuilderOptions<T, string?> ImageName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(ImageRules.IsValidName).WithMessage(ImageRules.NameRule);

    public static IRuleBuilderOptions<T, string?> ImageNamespace<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(ImageRules.IsValidNamespace).WithMessage(ImageRules.NamespaceRule);

    public static IRuleBuilderOptions<T, string> WorkspaceId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(ImageRules.IsValidWorkspaceId).WithMessage(ImageRules.WorkspaceIdRule);

    /// <summary>Free text the database can store (<see cref="TextRules.IsStorable"/>).</summary>
    public static IRuleBuilderOptions<T, string?> StorableText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(TextRules.IsStorable).WithMessage(TextRules.StorableRule);

    public static IRuleBuilderOptions<T, string> ProjectId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(ImageRules.IsValidProjectId).WithMessage(ImageRules.ProjectIdRule);

    public static IRuleBuilderOptionsConditions<T, string?> SortKeys<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Custom((value, context) =>
        {
            if (!ImageSortKeys.TryParse(value, out _, out var error))
            {
                context.AddFailure(new FluentValidation.Results.ValidationFailure(context.PropertyPath, error)
                {
                    ErrorCode = ValidationErrorCodes.InvalidSortKey,
                });
            }
        });
}
