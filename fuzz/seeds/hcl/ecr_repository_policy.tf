# A repository policy.
resource "aws_ecr_repository_policy" "images" {
  repository = aws_ecr_repository.images.name
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Pull",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
  }]
}
EOF
}
