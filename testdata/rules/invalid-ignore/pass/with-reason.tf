resource "aws_iam_role_policy" "training" {
  name = "training-data"
  role = "ml-training"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      # mlpolicy: ignore[redundant-action, unnecessary-resource-star]: both ids are rules and a reason follows
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::ml-training-data/*"
    }]
  })
}
