# The training role once read every bucket; its policy now names one bucket, so the ignore
# below has nothing left to accept.
resource "aws_iam_role_policy" "training" {
  name = "training-data"
  role = "ml-training"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "s3:GetObject"
      # mlpolicy: ignore[data-exfiltration] the training role read every bucket until the data lake moved
      Resource = "arn:aws:s3:::ml-training-data/*"
    }]
  })
}
