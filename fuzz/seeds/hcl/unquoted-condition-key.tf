# An object key with a colon must be quoted: `"iam:PassedToService" = ...`.
resource "aws_iam_policy" "pass" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:PassRole"
      Resource  = "*"
      Condition = {
        StringEquals = {
          iam:PassedToService = "sagemaker.amazonaws.com"
        }
      }
    }]
  })
}
