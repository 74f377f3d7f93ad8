# A policy as a quoted JSON string: findings land on the escaped text.
resource "aws_iam_policy" "quoted" {
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ecr:GetAuthorizationToken\", \"Resource\": \"arn:aws:ecr:${var.region}:123456789012:repository/x\"}]}"
}

resource "aws_iam_policy" "single_line" {
  policy = "{\"Version\": \"2008-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/$${aws:username}/*\"}}"
}
