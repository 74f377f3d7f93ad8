# Reviewed with mlpolicy: no findings. Comments that only mention the tool, like this one or
# "see mlpolicy: ignore[rule] in the README", are not ignores.
resource "aws_iam_role_policy" "training" {
  name = "training-data"
  role = "ml-training"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::ml-training-data/*"
    }]
  })
}
