using FluentValidation;
using ImageCatalog.Application.Common.Validation;
using ImageCatalog.Domain;
using ImageCatalog.Domain.Images;
using Mediator;

namespace ImageCatalog.Application.Images.RegisterImage;

/// <summary>
/// RegisterImage: adds one image version; namespace, name and tag come from <see cref="SwrPath"/>.
/// The group overview is updated in the same transaction. Only a caller that <c>MayWriteBuiltIn</c> (an operator)
/// registers a BUILD_IN image. With an <c>IdempotencyKey</c> the first answer to that key in the project is kept and
/// given again for the same registration; the key with another registration is an
/// <see cref="Common.Exceptions.IdempotencyKeyReusedException"/>.
/// </summary>
public sealed record RegisterImageCommand(
    string ProjectId,
    string? SwrPath,
    string? Description = null,
    ImageArch Arch = ImageArch.X86_64,
    ImageOrigin Origin = ImageOrigin.Customize,
    IReadOnlyList<ResourceCategory>? ResourceCategory = null,
    ImageServiceType ServiceType = ImageServiceType.Unknown,
    IReadOnlyList<DevService>? Services = null,
    ImageVisibility Visibility = ImageVisibility.Private,
    string WorkspaceId = ImageRules.DefaultWorkspaceId,
    IReadOnlyList<string>? Tags = null,
    string? ReadMe = null,
    ImageType Type = ImageType.Dedicated,
    bool MayWriteBuiltIn = false,
    string? IdempotencyKey = null) : ICommand<ImageDto>;

public sealed class RegisterImageCommandValidator : AbstractValidator<RegisterImageCommand>
{
    /// <summary>Where the key comes from, and so the name a client sees in a validation message.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public RegisterImageCommandValidator()
    {
        RuleFor(command => command.ProjectId).ProjectId();
        RuleFor(command => command.SwrPath).Custom((value, context) =>
        {
            if (value is null)
            {
                context.AddFailure("is required");
            }
            else if (!SwrPath.TryParse(value, out _, out var error))
            {
                context.AddFailure(error);
            }
        });
        RuleFor(command => command.Description)
            .MaximumLength(RegistrationRules.DescriptionMaxLength)
            .WithMessage($"must be at most {RegistrationRules.DescriptionMaxLength} characters")
            .StorableText();
        RuleFor(command => command.ReadMe)
            .MaximumLength(RegistrationRules.ReadMeMaxLength)
            .WithMessage($"must be at most {RegistrationRules.ReadMeMaxLength} characters")
            .StorableText();
        RuleFor(command => command.WorkspaceId).WorkspaceId();
        RuleFor(command => command.Tags)
            .Must(tags => tags is null || tags.Count <= RegistrationRules.MaxTags)
            .WithMessage($"must hold at most {RegistrationRules.MaxTags} tags");
        RuleForEach(command => command.Tags)
            .Must(tag => tag is { Length: > 0 and <= RegistrationRules.TagTextMaxLength })
            .WithMessage($"must be 1-{RegistrationRules.TagTextMaxLength} characters")
            .Must(TextRules.IsStorable)
            .WithMessage(TextRules.StorableRule);
        RuleFor(command => command.Services)
            .Must(BeDistinct).WithMessage("must not repeat a value");
        RuleFor(command => command.ResourceCategory)
            .Must(BeDistinct).WithMessage("must not repeat a value");
        RuleFor(command => command.IdempotencyKey)
            .Must(key => key is null || RegistrationRules.IsValidIdempotencyKey(key))
            .WithMessage($"must be 1-{RegistrationRules.IdempotencyKeyMaxLength} visible ASCII characters")
            .OverridePropertyName(IdempotencyKeyHeader);
    }

    private static bool BeDistinct<T>(IReadOnlyList<T>? values) => values is null || values.Distinct().Count() == values.Count;
}
