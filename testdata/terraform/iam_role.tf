# A role with a jsonencode trust policy and inline policies.
resource "aws_iam_role" "notebook" {
  name = "notebook"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
    }]
  })

  inline_policy {
    name = "read"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:aws:s3:::${var.bucket}/*"]
      }]
    })
  }

  inline_policy {
    name   = "kms"
    policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}
EOF
  }
}
