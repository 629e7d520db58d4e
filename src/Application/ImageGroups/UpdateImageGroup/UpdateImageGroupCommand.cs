using FluentValidation;
using ImageCatalog.Application.Common.Validation;
using ImageCatalog.Domain.Images;
using Mediator;

namespace ImageCatalog.Application.ImageGroups.UpdateImageGroup;

/// <summary>
/// UpdateImageGroup: sets the group's read-me and tags. A field that is given replaces the stored value
/// (an empty string or list clears it); a field left out stays as it is.
/// </summary>
public sealed record UpdateImageGroupCommand(
    string ProjectId,
    Guid Id,
    string? ReadMe,
    IReadOnlyList<GroupTag>? Tags,
    bool MayWriteBuiltIn = false) : ICommand;

public sealed record GroupTag(string? Key, string? Value);

public sealed class UpdateImageGroupCommandValidator : AbstractValidator<UpdateImageGroupCommand>
{
    public UpdateImageGroupCommandValidator()
    {
        RuleFor(command => command.ProjectId).ProjectId();
        RuleFor(command => command.ReadMe)
            .MaximumLength(GroupRules.ReadMeMaxLength)
            .WithMessage($"must be at most {GroupRules.ReadMeMaxLength} characters")
            .StorableText();
        RuleFor(command => command.Tags)
            .Must(tags => tags is null || tags.Count <= GroupRules.MaxTags)
            .WithMessage($"must hold at most {GroupRules.MaxTags} tags")
            .Must(tags => tags is null || tags.Select(tag => tag.Key).Distinct(StringComparer.Ordinal).Count() == tags.Count)
            .WithMessage("must not repeat a key");
        RuleForEach(command => command.Tags).ChildRules(tag =>
        {
            tag.RuleFor(t => t.Key)
                .Must(key => key is { Length: > 0 and <= GroupRules.TagKeyMaxLength })
                .WithMessage($"must be 1-{GroupRules.TagKeyMaxLength} characters")
                .StorableText();
            tag.RuleFor(t => t.Value)
                .Must(value => value is { Length: <= GroupRules.TagValueMaxLength })
                .WithMessage($"must be given, with at most {GroupRules.TagValueMaxLength} characters")
                .StorableText();
        });
    }
}
