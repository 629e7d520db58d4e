using FluentValidation;
using ImageCatalog.Application.Common.Validation;
using Mediator;

namespace ImageCatalog.Application.ImageGroups.DeleteImageGroup;

/// <summary>DeleteImageGroup: removes the group and every one of its versions, in one transaction.</summary>
public sealed record DeleteImageGroupCommand(string ProjectId, Guid Id, bool MayWriteBuiltIn = false) : ICommand;

public sealed class DeleteImageGroupCommandValidator : AbstractValidator<DeleteImageGroupCommand>
{
    public DeleteImageGroupCommandValidator() => RuleFor(command => command.ProjectId).ProjectId();
}
