# Inline policies of a role, a user and a group; the entity named by reference or by name.
resource "aws_iam_role" "pipeline" {
  name               = "ml-pipeline"
  assume_role_policy = var.trust
}

resource "aws_iam_role_policy" "by_reference" {
  role = aws_iam_role.pipeline.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "arn:aws:iam::*:role/*" }]
  })
}

resource "aws_iam_role_policy" "by_name" {
  role = "ml-pipeline"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "logs:CreateLogGroup", Resource = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/*" }]
  })
}

resource "aws_iam_user_policy" "alice" {
  user = aws_iam_user.alice.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}

resource "aws_iam_group_policy" "scientists" {
  group = aws_iam_group.scientists.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sagemaker:Describe*", Resource = "*" }]
  })
}
