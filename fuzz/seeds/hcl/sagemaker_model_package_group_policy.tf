# A SageMaker model package group's resource policy.
resource "aws_sagemaker_model_package_group_policy" "shared" {
  model_package_group_name = aws_sagemaker_model_package_group.models.model_package_group_name
  resource_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Share"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.consumer_account}:root" }
      Action    = ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"]
      Resource  = aws_sagemaker_model_package_group.models.arn
    }]
  })
}
