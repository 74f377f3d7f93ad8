# Terraform reads `${aws:username}` as an interpolation and rejects it; write `$${aws:username}`.
resource "aws_iam_policy" "home" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::ml-data/home/${aws:username}/*"
    }]
  })
}
