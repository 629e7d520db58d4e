using FluentValidation;
using ImageCatalog.Application.Common.Validation;
using Mediator;

namespace ImageCatalog.Application.Images.DeleteImage;

/// <summary>
/// DeleteImage: removes one version of the project's own and folds the removal into its group in the same
/// transaction; the last version takes the group with it. Answers the image with status DELETED. A built-in
/// image is deleted only by a caller that <c>MayWriteBuiltIn</c>.
/// </summary>
public sealed record DeleteImageCommand(string ProjectId, Guid Id, bool MayWriteBuiltIn = false) : ICommand<ImageDto>;

public sealed class DeleteImageCommandValidator : AbstractValidator<DeleteImageCommand>
{
    public DeleteImageCommandValidator() => RuleFor(command => command.ProjectId).ProjectId();
}
