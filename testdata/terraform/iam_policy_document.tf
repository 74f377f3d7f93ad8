# A data source, linted once on its own; the resources using it give it its kind and units.
data "aws_iam_policy_document" "ml" {
  statement {
    sid       = "Train"
    actions   = ["sagemaker:CreateTrainingJob", "sagemaker:*"]
    resources = ["*"]
  }

  statement {
    sid         = "NoIam"
    effect      = "Deny"
    not_actions = ["s3:*"]
    resources   = ["*"]
  }

  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.bucket}/home/$${aws:username}/*"]

    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["10.0.0.0/33"]
    }
  }

  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.training.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "ml" {
  policy = data.aws_iam_policy_document.ml.json
}

resource "aws_iam_role_policy" "ml" {
  role   = aws_iam_role.training.id
  policy = data.aws_iam_policy_document.ml.json
}

resource "aws_iam_group_policy_attachment" "ml" {
  group      = aws_iam_group.scientists.name
  policy_arn = aws_iam_policy.ml.arn
}

resource "aws_iam_role" "training" {
  name               = "training"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}
