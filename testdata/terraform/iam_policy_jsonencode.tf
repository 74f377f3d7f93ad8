# An identity policy written with jsonencode: keys bare or quoted, values with interpolations.
resource "aws_iam_policy" "training" {
  name = "ml-training"
  policy = jsonencode({
    Version = "2012-10-17"
    "Statement" = [
      {
        Sid      = "ReadData"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::${var.bucket}", "arn:aws:s3:::${var.bucket}/home/$${aws:username}/*", aws_s3_bucket.data.arn]
      },
      {
        Effect   = "Allow"
        Action   = "sagemaker:CreatTrainingJob"
        Resource = "arn:aws:sagemaker:${var.region}:${data.aws_caller_identity.current.account_id}:training-job/*"
      },
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "training" {
  role       = aws_iam_role.training.name
  policy_arn = aws_iam_policy.training.arn
}

resource "aws_iam_role" "training" {
  name               = "ml-training"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_user_policy_attachment" "alice" {
  user       = "alice"
  policy_arn = aws_iam_policy.training.arn
}
